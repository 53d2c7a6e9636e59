using Xunit;
namespace Clearway.Testing.Xunit;

/// <summary>
/// Notices an xUnit assertion failing inside a test, while the exception is still being thrown: a database
/// disposed by <c>await using</c> in that test is disposed before xUnit records the result, so this is the only
/// moment the failure can be seen from there. Assertion exceptions carry <c>Xunit.Sdk.IAssertionException</c>.
/// </summary>
internal static class FailedAssertions
{
    private static readonly HashSet<string> FailedTests = [];
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) != 0)
            return;
        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            if (TestContext.Current.Test?.UniqueID is not { } test || !IsAssertion(e.Exception))
                return;
            lock (FailedTests)
                FailedTests.Add(test);
        };
    }

    /// <summary>A probe for the current test: true once one of its assertions failed (or xUnit reports it failed).</summary>
    public static Func<bool> ProbeForCurrentTest()
    {
        var context = TestContext.Current;
        var test = context.Test?.UniqueID;
        return () =>
        {
            if (TestContext.Current.TestState?.Result == TestResult.Failed)
                return true;
            lock (FailedTests)
                return test is not null && FailedTests.Contains(test);
        };
    }

    private static bool IsAssertion(Exception exception) =>
        exception.GetType().GetInterfaces().Any(i => i.FullName == "Xunit.Sdk.IAssertionException");
}
