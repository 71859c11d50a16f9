namespace LlmRouter.Abstractions.Access;

/// <summary>Secrets shared by every node of a deployment (the hashing pepper), created once by whichever node asks first.</summary>
public interface IDeploymentSecretStore
{
    /// <summary>The stored value of <paramref name="name"/>; when there is none yet, stores <paramref name="candidate"/> and returns it.</summary>
    ValueTask<string> GetOrAddAsync(string name, string candidate, CancellationToken cancellationToken = default);
}
