using System;
using System.IO;

namespace CSharpBpf.TestSupport;

/// <summary>Locates the repository root (the folder holding CSharpBpf.sln) and its fixtures.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CSharpBpf.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CSharpBpf.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => LazyRoot.Value;

    /// <summary>tests/fixtures: C sources and the clang-built objects committed beside them.</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    public static string Fixture(string name) => Path.Combine(Fixtures, name);
}
