namespace LlmRouter.Persistence;

/// <summary>
/// The invocation log's model filter takes a bare name or <c>provider/model</c>, as every API names models. A name may
/// hold '/' itself, so the filter matches either reading: the whole text as the name, or provider and name split at
/// the first '/' (provider names have none).
/// </summary>
internal static class ModelFilter
{
    /// <summary>The provider/name reading; an empty provider (no '/') matches no row.</summary>
    public static (string Provider, string Model) Split(string filter)
    {
        var slash = filter.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", filter) : (filter[..slash], filter[(slash + 1)..]);
    }
}
