namespace LlmRouter.LocalModels.Engine;

/// <summary>One message of a conversation, as the chat template sees it.</summary>
public sealed record ChatTurn(string Role, string Content);
