using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// A fact that runs on every store: in classes marked <see cref="IRequiresPostgres"/> it is skipped with
/// <see cref="TestPostgres.SkipReason"/> when no server is configured outside CI. (xunit 2 decides skipping at
/// discovery, and only the discoverer knows the concrete test class of an inherited fact.)
/// </summary>
[XunitTestCaseDiscoverer("LlmRouter.Tests.Shared.StoreFactDiscoverer", "LlmRouter.Tests.Shared")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> facts.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (typeof(IRequiresPostgres).IsAssignableFrom(testMethod.TestClass.Class.ToRuntimeType()) && TestPostgres.SkipReason is { } reason)
        {
            return new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
        }
        return base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}
