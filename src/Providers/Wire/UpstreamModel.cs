namespace LlmRouter.Providers.Wire;

/// <summary>The model name a call asks the upstream for: the body's <c>model</c> (set by routing), else the configured upstream name.</summary>
internal static class UpstreamModel
{
    public static string Of(UpstreamCall call) => JsonRead.String(call.Request.Body["model"]) ?? call.Request.Model.Model.UpstreamName;
}
