namespace LlmRouter.Grains.Routing.Rules;

/// <summary>
/// A deterministic complexity score from 0 to 100 for a message, for <c>min_complexity</c>/<c>max_complexity</c>:
/// <list type="bullet">
/// <item>length: one point per 40 characters (Unicode scalar values), at most 50;</item>
/// <item>code: 15 points per fenced code block (``` … ```; an unclosed fence counts), at most 30;</item>
/// <item>questions: 5 points per question mark (? or ？) outside code blocks, at most 20.</item>
/// </list>
/// </summary>
public static class ComplexityScore
{
    public const int CharactersPerPoint = 40;
    public const int MaxLengthPoints = 50;
    public const int PointsPerCodeBlock = 15;
    public const int MaxCodePoints = 30;
    public const int PointsPerQuestion = 5;
    public const int MaxQuestionPoints = 20;

    private const string Fence = "```";

    public static int Of(string text)
    {
        var characters = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            characters++;
        }
        var fences = 0;
        var questions = 0;
        var inCode = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (string.CompareOrdinal(text, i, Fence, 0, Fence.Length) == 0)
            {
                fences++;
                inCode = !inCode;
                i += Fence.Length - 1;
            }
            else if (!inCode && text[i] is '?' or '？')
            {
                questions++;
            }
        }
        var blocks = (fences + 1) / 2;
        return Math.Min(characters / CharactersPerPoint, MaxLengthPoints)
            + Math.Min(blocks * PointsPerCodeBlock, MaxCodePoints)
            + Math.Min(questions * PointsPerQuestion, MaxQuestionPoints);
    }
}
