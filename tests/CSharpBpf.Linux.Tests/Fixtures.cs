using CSharpBpf.TestSupport;

namespace CSharpBpf.Linux.Tests;

internal static class Fixtures
{
    public static string Linux(string name) => RepoPaths.Fixture(System.IO.Path.Combine("linux", name));
}
