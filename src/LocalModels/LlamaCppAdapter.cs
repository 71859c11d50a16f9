using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.LocalModels;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Providers;

namespace LlmRouter.LocalModels;

/// <summary>
/// The <c>llamacpp</c> provider type: local GGUF models, served by the model's grain (here, or on the GPU node
/// that hosts it). The session is the caller's, else the body's OpenAI <c>user</c> field.
/// </summary>
public sealed class LlamaCppAdapter(ILocalModelGrainFactory grains) : IProviderAdapter
{
    public IReadOnlyList<string> Types { get; } = [ProviderTypes.LlamaCpp];

    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        grains.GetGrain(call.Request.Model.Id).CompleteAsync(Request(call.Request), cancellationToken);

    public ValueTask<UpstreamStream> StreamAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        grains.GetGrain(call.Request.Model.Id).StreamAsync(Request(call.Request), cancellationToken);

    private static LocalChatRequest Request(UpstreamChatRequest request) => new(request.Body)
    {
        SessionKey = request.SessionId ?? (request.Body["user"] is JsonValue user && user.GetValueKind() == JsonValueKind.String ? user.GetValue<string>() : null),
    };
}
