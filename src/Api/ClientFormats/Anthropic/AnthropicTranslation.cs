namespace LlmRouter.Api.ClientFormats.Anthropic;

/// <summary>
/// An Anthropic request in canonical (OpenAI chat) form, with the parts that have no OpenAI equivalent (they
/// survive only when the upstream speaks Anthropic itself and gets the original).
/// </summary>
public sealed record AnthropicTranslation(JsonObject Body, IReadOnlyList<string> Untranslatable);
