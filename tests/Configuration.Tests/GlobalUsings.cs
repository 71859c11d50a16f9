global using LlmRouter.Tests.Shared;
global using Xunit;
