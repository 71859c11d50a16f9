namespace LlmRouter.Api.Json;

/// <summary>One attempt of a client call that fell back: the log record it is, the model it tried and how it ended.</summary>
public sealed record CallAttemptView(long Id, string Provider, string Model, string Status, int HttpStatus);
