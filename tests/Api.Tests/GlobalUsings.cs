global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.AspNetCore.Http;
global using Xunit;
global using LlmRouter.Tests.Shared;
