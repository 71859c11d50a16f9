namespace LlmRouter.Api.Monitoring;

/// <summary>
/// What an inference request's steps learned before the router answered it itself: the model it was for, the error it
/// was refused with and the limit that refused it, or that it was admitted (and so goes to the log as a made call).
/// Held as a request feature by <see cref="RefusedCallLog"/>; the steps note into it only when it is there.
/// </summary>
public sealed class RefusedCall
{
    public string Provider { get; private set; } = "";
    public string Model { get; private set; } = "";
    public ApiError? Error { get; private set; }
    public string? Limit { get; private set; }

    /// <summary>The call passed every check: whatever it is answered now, the invoker logs it.</summary>
    public bool Admitted { get; private set; }

    /// <summary>The name the request asked for, until a model is resolved.</summary>
    public static void NoteRequested(HttpContext http, string requested)
    {
        if (http.Features.Get<RefusedCall>() is { } call && call.Provider.Length == 0)
        {
            call.Model = requested;
        }
    }

    public static void NoteModel(HttpContext http, ResolvedModel model)
    {
        if (http.Features.Get<RefusedCall>() is { } call)
        {
            (call.Provider, call.Model) = (model.Provider.Name, model.Model.Name);
        }
    }

    /// <summary>The error the client was answered with (the last one written counts).</summary>
    public static void NoteError(HttpContext http, ApiError error)
    {
        if (http.Features.Get<RefusedCall>() is { } call)
        {
            call.Error = error;
        }
    }

    public static void NoteLimit(HttpContext http, string limit)
    {
        if (http.Features.Get<RefusedCall>() is { } call)
        {
            call.Limit = limit;
        }
    }

    public static void NoteAdmitted(HttpContext http)
    {
        if (http.Features.Get<RefusedCall>() is { } call)
        {
            call.Admitted = true;
        }
    }
}
