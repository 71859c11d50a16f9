global using System.Text.Json.Nodes;
global using LlmRouter.Abstractions.Upstream;
global using Xunit;
