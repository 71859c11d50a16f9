// Namespaces many files of this project use, imported once for all of them.
global using System.Text.Json;
global using System.Text.Json.Nodes;
global using LlmRouter.Abstractions.Configuration;
global using LlmRouter.Abstractions.Upstream;
global using LlmRouter.Api.Errors;
global using LlmRouter.Api.Json;
global using Microsoft.AspNetCore.Http;
