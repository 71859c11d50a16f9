namespace LlmRouter.Api.Monitoring;

/// <summary>
/// The router endpoint of a call as the invocation log records it: the request's path, except that the model-specific
/// URLs of the native API (/models/{provider}/{model}/invoke, …/v1/chat/completions) are named by what follows the
/// model, so the log names an endpoint, not a model.
/// </summary>
public static class InvocationEndpoints
{
    private const string ModelUrls = "/models/";
    private static readonly string[] ModelSuffixes = ["/v1/chat/completions", "/invoke"];

    public static string Of(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (path.StartsWith(ModelUrls, StringComparison.Ordinal))
        {
            return ModelSuffixes.FirstOrDefault(suffix => path.EndsWith(suffix, StringComparison.Ordinal)) ?? path;
        }
        return path;
    }
}
