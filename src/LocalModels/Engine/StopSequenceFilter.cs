namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// Cuts generated text at the first stop sequence. Text that might be the start of a stop sequence is held back
/// until the next piece shows whether it is, so a stream never shows a stop sequence, even one split over tokens.
/// </summary>
public sealed class StopSequenceFilter(IReadOnlyList<string> stops)
{
    private readonly string[] _stops = stops.Where(s => s.Length > 0).ToArray();
    private readonly StringBuilder _pending = new();

    public bool Stopped { get; private set; }

    /// <summary>Adds generated text; returns the text that is safe to show now.</summary>
    public string Push(string text)
    {
        if (Stopped)
        {
            return "";
        }
        if (_stops.Length == 0)
        {
            return text;
        }
        _pending.Append(text);
        var pending = _pending.ToString();
        var cut = -1;
        foreach (var stop in _stops)
        {
            var at = pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
            {
                cut = at;
            }
        }
        if (cut >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return pending[..cut];
        }
        var hold = HeldBack(pending);
        _pending.Clear().Append(pending, pending.Length - hold, hold);
        return pending[..^hold];
    }

    /// <summary>The text still held back, once generation has ended without a stop sequence.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : _pending.ToString();
        _pending.Clear();
        return rest;
    }

    /// <summary>The length of the longest end of <paramref name="text"/> that begins some stop sequence.</summary>
    private int HeldBack(string text)
    {
        var longest = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
