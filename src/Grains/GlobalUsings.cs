// Namespaces many files of this project use, imported once for all of them.
global using LlmRouter.Abstractions.Configuration;
global using LlmRouter.Abstractions.Grains;
global using LlmRouter.Abstractions.Upstream;
