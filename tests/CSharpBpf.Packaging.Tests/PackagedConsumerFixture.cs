using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using CSharpBpf.TestSupport;

namespace CSharpBpf.Packaging.Tests;

/// <summary>
/// Does the slow part once for the whole class: `dotnet pack` of the repository into a temporary feed
/// (its own artifacts folder, so the working tree's bin/obj are untouched), then two fresh projects in a
/// temporary folder outside the repository built against that feed, with a package cache of their own
/// (NUGET_PACKAGES) so no stale cached CSharpBpf package can stand in for the one just packed.
/// Everything lives under one unique temp folder, deleted in Dispose.
/// </summary>
public sealed class PackagedConsumerFixture : IDisposable
{
    public static readonly string[] PackageIds = { "CSharpBpf", "CSharpBpf.Object", "CSharpBpf.Verifier", "CSharpBpf.Vm", "CSharpBpf.Linux" };

    public string Root { get; }
    public string Feed { get; }
    public string Version { get; }
    public CommandResult Pack { get; }
    public string AppDir { get; }
    public string AppOutput { get; }
    public CommandResult AppBuild { get; }
    public CommandResult? AppRun { get; }
    public string BadDir { get; }
    public CommandResult BadBuild { get; }

    public PackagedConsumerFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "csbpf-packaging-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Feed);
        Version = ExpectedVersion();

        Pack = DotnetCli.Run(RepoPaths.Root, null, "pack", Path.Combine("build", "CSharpBpf.Packages.slnf"),
            "-c", "Release", "--artifacts-path", Path.Combine(Root, "artifacts"), "-p:PackageOutputPath=" + Feed,
            "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", "-v:m");

        string consumers = Path.Combine(Root, "consumers");
        Directory.CreateDirectory(consumers);
        ConsumerProjects.WriteIsolation(consumers, Feed);
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages") };

        AppDir = Path.Combine(consumers, "PackagedApp");
        AppOutput = Path.Combine(AppDir, "bin", "Debug", "net10.0");
        ConsumerProjects.WriteProject(AppDir, "PackagedApp", exe: true, Version,
            ("Counter.cs", ConsumerProjects.CounterSource), ("Program.cs", ConsumerProjects.ProgramSource));
        BadDir = Path.Combine(consumers, "PackagedBad");
        ConsumerProjects.WriteProject(BadDir, "PackagedBad", exe: false, Version, ("Careless.cs", ConsumerProjects.BadSource));

        if (Pack.ExitCode != 0)
        {
            // Nothing to consume: every test reports the pack output.
            AppBuild = BadBuild = Pack;
            return;
        }
        AppBuild = DotnetCli.Run(AppDir, env, "build", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", "-v:m");
        if (AppBuild.ExitCode == 0)
        {
            var runArgs = new List<string> { Path.Combine(AppOutput, "PackagedApp.dll") };
            if (KernelCapability.CanLoadBpf) runArgs.Add("--kernel");
            AppRun = DotnetCli.Run(AppDir, env, runArgs.ToArray());
        }
        BadBuild = DotnetCli.Run(BadDir, env, "build", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", "-v:m");
    }

    /// <summary>The version Directory.Build.props gives every package: VersionPrefix[-VersionSuffix].</summary>
    public static string ExpectedVersion()
    {
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        string? Get(string name) => props.Descendants(name).Select(e => e.Value.Trim()).FirstOrDefault();
        string prefix = Get("VersionPrefix") ?? throw new InvalidOperationException("Directory.Build.props sets no VersionPrefix");
        string? suffix = Get("VersionSuffix");
        return string.IsNullOrEmpty(suffix) ? prefix : prefix + "-" + suffix;
    }

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
