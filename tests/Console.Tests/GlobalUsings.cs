global using LlmRouter.Api.Tests.Infrastructure;
global using LlmRouter.Console.Tests.Infrastructure;
global using Microsoft.Playwright;
global using Xunit;
global using static Microsoft.Playwright.Assertions;
