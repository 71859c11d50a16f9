// Namespaces many files of this project use, imported once for all of them.
global using System.Text;
global using LLama.Native;
global using LlmRouter.Abstractions.Upstream;
global using LlmRouter.LocalModels.Engine;
global using Microsoft.Extensions.Logging;
