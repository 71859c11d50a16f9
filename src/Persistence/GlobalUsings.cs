// Namespaces many files of this project use, imported once for all of them.
global using System.Data.Common;
global using System.Globalization;
global using LlmRouter.Abstractions.Invocations;
global using LlmRouter.Persistence.Rollups;
global using LlmRouter.Persistence.Stores;
