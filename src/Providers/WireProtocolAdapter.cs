using System.Diagnostics.CodeAnalysis;
using LlmRouter.Providers.Embeddings;

namespace LlmRouter.Providers;

/// <summary>
/// The one adapter of every HTTP upstream API: builds the request its <see cref="IWireProtocol"/> describes (a
/// request the API cannot say fails here, nothing sent), exchanges it, and reads the answer back through the
/// protocol. <c>created</c> timestamps of translated answers come from the injected clock.
/// </summary>
internal sealed class WireProtocolAdapter(IWireProtocol protocol, UpstreamHttpClients clients, TimeProvider time) : IProviderAdapter
{
    public IReadOnlyList<string> Types => protocol.Types;

    public IReadOnlyList<string> Apis { get; } = [protocol.Api];

    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        if (!TryCreateRequest(call, stream: false, out var request, out var refused))
        {
            return ValueTask.FromResult(UpstreamChatResult.Failed(refused));
        }
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        return UpstreamExchange.CompleteAsync(clients, call, request, protocol.Api, body => protocol.ReadAnswer(body, call, created), cancellationToken);
    }

    public ValueTask<UpstreamStream> StreamAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        if (!TryCreateRequest(call, stream: true, out var request, out var refused))
        {
            return ValueTask.FromResult(UpstreamStream.Failed(refused));
        }
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        return UpstreamExchange.StreamAsync(clients, call, request, protocol.Api,
            (body, deadline) => protocol.ReadStream(body, deadline, call, created), cancellationToken, protocol.ReadWholeAnswerAsStream);
    }

    public ValueTask<UpstreamChatResult> EmbedAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        if (protocol.Embeddings is not { } embeddings)
        {
            return ValueTask.FromResult(UpstreamChatResult.Failed(EmbeddingRefusal.NoApi(call)));
        }
        if (!TryCreateRequest(() => embeddings.CreateRequest(call), out var request, out var refused))
        {
            return ValueTask.FromResult(UpstreamChatResult.Failed(refused));
        }
        return UpstreamExchange.CompleteAsync(clients, call, request, protocol.Api, body => embeddings.ReadAnswer(body, call), cancellationToken);
    }

    private bool TryCreateRequest(
        UpstreamCall call, bool stream, [NotNullWhen(true)] out HttpRequestMessage? request, [NotNullWhen(false)] out UpstreamError? refused) =>
        TryCreateRequest(() => protocol.CreateRequest(call, stream), out request, out refused);

    private static bool TryCreateRequest(
        Func<HttpRequestMessage> create, [NotNullWhen(true)] out HttpRequestMessage? request, [NotNullWhen(false)] out UpstreamError? refused)
    {
        try
        {
            request = create();
            refused = null;
            return true;
        }
        catch (TranslationFailure failure)
        {
            request = null;
            refused = failure.ToError();
            return false;
        }
    }
}
