namespace LlmRouter.Tests.Shared;

/// <summary>Marks a test class that needs the PostgreSQL test server; its <see cref="StoreFactAttribute"/> facts skip or fail without one.</summary>
public interface IRequiresPostgres;
