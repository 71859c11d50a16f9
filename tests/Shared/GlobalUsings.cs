global using Microsoft.AspNetCore.Http;
global using Microsoft.Extensions.DependencyInjection;
global using Xunit;
