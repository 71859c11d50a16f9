using System.Text;

namespace LlmRouter.Persistence;

/// <summary>
/// A list query's filters as SQL conditions (each starting with AND), every value a parameter of the command; both
/// dialects name parameters <c>@name</c>.
/// </summary>
internal static class InvocationFilters
{
    /// <summary>Adds parameter <paramref name="name"/> and answers how the SQL text names it.</summary>
    public static string Bind(this DbCommand command, string name, object value)
    {
        command.Set("@" + name, value);
        return "@" + name;
    }

    /// <summary>The provider, model and key filters, which read alike on the log and on the roll-ups (same columns).</summary>
    public static string Shared(DbCommand command, InvocationQuery query)
    {
        var where = new StringBuilder();
        if (query.Provider is { } provider)
        {
            where.Append($" AND provider = {command.Bind("provider", provider)}");
        }
        if (query.Model is { } model)
        {
            var (modelProvider, modelName) = ModelFilter.Split(model);
            where.Append($" AND (model = {command.Bind("model", model)} OR provider = {command.Bind("modelProvider", modelProvider)}")
                .Append($" AND model = {command.Bind("modelName", modelName)})");
        }
        if (query.ApiKey is { } apiKey)
        {
            where.Append($" AND (api_key_id = {command.Bind("apiKey", apiKey)} OR api_key_name = {command.Bind("apiKeyName", apiKey)})");
        }
        return where.ToString();
    }

    /// <summary>Every filter of the query (its paging aside) on the log's columns.</summary>
    public static string OnLog(DbCommand command, InvocationQuery query)
    {
        var where = new StringBuilder(Shared(command, query));
        if (query.Status is { } status)
        {
            where.Append($" AND status = {command.Bind("status", InvocationStatusNames.ToName(status))}");
        }
        if (query.ScopeApiKeyId is { } scope)
        {
            where.Append($" AND api_key_id = {command.Bind("scope", scope)}");
        }
        if (query.CallId is { } callId)
        {
            where.Append($" AND call_id = {command.Bind("callId", callId)}");
        }
        if (query.Start is { } start)
        {
            where.Append($" AND created_at_ms >= {command.Bind("start", start.ToUnixTimeMilliseconds())}");
        }
        if (query.End is { } end)
        {
            where.Append($" AND created_at_ms < {command.Bind("end", end.ToUnixTimeMilliseconds())}");
        }
        return where.ToString();
    }
}
