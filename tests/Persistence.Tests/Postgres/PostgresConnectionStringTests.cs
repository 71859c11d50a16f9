using LlmRouter.Persistence.Postgres;
using Npgsql;

namespace LlmRouter.Persistence.Tests.Postgres;

/// <summary>LLM_ROUTER_DATABASE_URL's postgresql:// form becomes the right Npgsql settings, and bad ones are refused plainly.</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void A_full_url_maps_user_password_host_port_database_and_options()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl(
            "postgresql://router:p%40ss%3Aword@db.internal:6543/llm_router?sslmode=require&max_pool_size=7&application_name=node-2&command_timeout=90"));
        Assert.Equal("router", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal("db.internal", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("llm_router", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(7, builder.MaxPoolSize);
        Assert.Equal("node-2", builder.ApplicationName);
        Assert.Equal(90, builder.CommandTimeout);
    }

    [Fact]
    public void Defaults_are_port_5432_and_a_bounded_pool()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl("postgres://u@localhost/db"));
        Assert.Equal(5432, builder.Port);
        Assert.Equal(PostgresConnectionString.DefaultMaxPoolSize, builder.MaxPoolSize);
        Assert.Null(builder.Password);
    }

    [Theory]
    [InlineData("postgresql://u:secret@h/db?unknown=1", "unknown")]
    [InlineData("postgresql://u:secret@h/db?max_pool_size=0", "max_pool_size")]
    [InlineData("postgresql://u:secret@h/db?command_timeout=-5", "command_timeout")]
    [InlineData("postgresql://u:secret@h/db?sslmode=sometimes", "sslmode")]
    public void Unsupported_options_are_refused_without_echoing_the_password(string url, string mentioned)
    {
        var error = Assert.Throws<FormatException>(() => PostgresConnectionString.FromUrl(url));
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_url_accepts_postgresql_with_a_driver_suffix()
    {
        var url = DatabaseUrl.Parse("postgresql+asyncpg://llm:pw@127.0.0.1:5432/llm_router", "/work");
        Assert.Equal(DatabaseKind.PostgreSql, url.Kind);
        Assert.Equal("postgresql://llm:***@127.0.0.1:5432/llm_router", url.ToString());
    }
}
