namespace LlmRouter.Api.ClientFormats.Responses;

/// <summary>
/// A Responses request as the canonical chat body, and what the body leaves out because chat cannot say it (each
/// with the request's parameter it is in, and what it is): when anything is, only the Responses API can serve it.
/// </summary>
public sealed record ResponsesTranslation(JsonObject Body, IReadOnlyList<(string Param, string What)> Untranslatable);
