using System.Net.Http.Headers;

namespace LlmRouter.Providers.Http;

/// <summary>The parts of an upstream request that protocols share: the JSON POST of a body and the credential headers.</summary>
internal static class WireRequest
{
    /// <summary>
    /// A POST of <paramref name="body"/> after the model's <c>rewrite_body</c>; <paramref name="owned"/> false when
    /// the body is the call's own canonical body, which the rewrite must not change.
    /// </summary>
    public static HttpRequestMessage Post(Uri url, JsonObject body, UpstreamCall call, string accept, bool owned = true) =>
        UpstreamExchange.JsonPost(url, WireBody.Serialize(body, call.Request.Model.Model, owned), accept);

    /// <summary>Sends the key as <c>Authorization: Bearer</c>, when there is one.</summary>
    public static void AddBearer(HttpRequestMessage request, string? key)
    {
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    /// <summary>Sends the key in the API's own header, when there is one.</summary>
    public static void AddKey(HttpRequestMessage request, string header, string? key)
    {
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.TryAddWithoutValidation(header, key);
        }
    }
}
