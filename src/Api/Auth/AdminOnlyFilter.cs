namespace LlmRouter.Api.Auth;

/// <summary>Lets management endpoints run only for admins (an admin key, or a local request under the localhost rule).</summary>
public sealed class AdminOnlyFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.GetAccess().IsAdmin)
        {
            return await next(context).ConfigureAwait(false);
        }
        return ErrorWriter.Result(AccessErrors.AdminRequired());
    }
}
