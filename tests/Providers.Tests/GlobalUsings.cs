global using System.Text.Json.Nodes;
global using LlmRouter.Abstractions.Configuration;
global using LlmRouter.Abstractions.Upstream;
global using LlmRouter.Providers.Wire;
global using Xunit;
global using static LlmRouter.Providers.Tests.TestCalls;
