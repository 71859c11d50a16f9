namespace LlmRouter.Abstractions.LocalModels;

/// <summary>Gives the grain of a local model by its id (<c>provider/name</c>).</summary>
public interface ILocalModelGrainFactory
{
    ILocalModelGrain GetGrain(string modelId);
}
