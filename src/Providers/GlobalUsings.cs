// Namespaces many files of this project use, imported once for all of them.
global using System.Runtime.CompilerServices;
global using System.Text;
global using System.Text.Json;
global using System.Text.Json.Nodes;
global using LlmRouter.Abstractions.Configuration;
global using LlmRouter.Abstractions.Upstream;
global using LlmRouter.Providers.Http;
global using LlmRouter.Providers.Wire;
