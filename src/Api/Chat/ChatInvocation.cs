using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Api.Chat;

/// <summary>One chat call about to be made: the model, the effective canonical body and the client's API format.</summary>
public sealed record ChatInvocation(ResolvedModel Model, JsonObject Body, string ClientFormat);
