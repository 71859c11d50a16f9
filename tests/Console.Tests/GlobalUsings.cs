global using LlmRouter.Tests.Shared;
global using LlmRouter.Console.Tests.Infrastructure;
global using Microsoft.Playwright;
global using Xunit;
global using static Microsoft.Playwright.Assertions;
