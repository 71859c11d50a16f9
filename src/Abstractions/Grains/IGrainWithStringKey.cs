namespace LlmRouter.Abstractions.Grains;

/// <summary>Marks a grain interface whose identity is a string (Orleans' IGrainWithStringKey, without the runtime).</summary>
public interface IGrainWithStringKey;
