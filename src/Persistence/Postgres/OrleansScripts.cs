namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// The official PostgreSQL scripts of Orleans' ADO.NET providers, shipped inside this assembly: the clustering and
/// persistence providers read their queries from the tables these create, so a node creates them at start.
/// </summary>
internal static class OrleansScripts
{
    public static string Read(string name)
    {
        using var stream = typeof(OrleansScripts).Assembly.GetManifestResourceStream("Orleans." + name + ".sql")
            ?? throw new InvalidOperationException($"the Orleans script {name}.sql is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
