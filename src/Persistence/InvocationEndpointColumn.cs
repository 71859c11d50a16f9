namespace LlmRouter.Persistence;

/// <summary>
/// The migration (the same in both stores) that gives the log its endpoint column. Rows logged before it get the
/// endpoint their client format implies where only one endpoint spoke it (openai: chat completions, anthropic:
/// messages); native rows (/invoke or /route/invoke) stay NULL.
/// </summary>
internal static class InvocationEndpointColumn
{
    public const string Migration = """
        ALTER TABLE invocations ADD COLUMN endpoint TEXT;
        UPDATE invocations SET endpoint = CASE client_format
            WHEN 'openai' THEN '/v1/chat/completions'
            WHEN 'anthropic' THEN '/v1/messages'
        END
        """;
}
