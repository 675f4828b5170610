using System.IO;
using System.Security;

namespace CSharpBpf.Packaging.Tests;

/// <summary>
/// The files of the projects a NuGet user would write: nothing from the repository, only package references.
/// </summary>
public static class ConsumerProjects
{
    /// <summary>The console app's [Xdp] class: counts every frame, drops those longer than 100 bytes.</summary>
    public const string CounterSource = """
        using CSharpBpf;
        using CSharpBpf.Kernel;

        namespace PackagedApp;

        public static unsafe partial class Counter
        {
            [Map(MaxEntries = 1)] static ArrayMap<ulong> Seen;

            [Xdp]
            static XdpAction Count(xdp_md* ctx)
            {
                ulong* n = Seen.Lookup(0);
                if (n != null) *n += 1;
                long length = (long)ctx->data_end - (long)ctx->data;
                return length > 100 ? XdpAction.Drop : XdpAction.Pass;
            }
        }
        """;

    /// <summary>
    /// What a user writes: the skeleton's entry points, which the generator emits because the app references
    /// CSharpBpf.Vm and CSharpBpf.Linux (LoadVm, and with "--kernel" LoadKernel + BPF_PROG_TEST_RUN), plus the
    /// raw path any loader takes (GetElfBytes into the VM test host). Prints one line per way.
    /// </summary>
    public const string ProgramSource = """
        using System;
        using CSharpBpf.Vm;
        using CSharpBpf.Vm.Host;

        namespace PackagedApp;

        public static class Program
        {
            public static int Main(string[] args)
            {
                using (var vm = Counter.LoadVm())
                {
                    uint small = (uint)vm.Programs.Count.Run(new byte[64]).ReturnValue;
                    uint large = (uint)vm.Programs.Count.Run(new byte[200]).ReturnValue;
                    Console.WriteLine($"vm: small={small} large={large} seen={vm.Maps.Seen[0]}");
                }
                using (var host = new BpfTestHost(ExecutionEngine.Jit))
                {
                    var obj = host.LoadObject(Counter.BpfObject.GetElfBytes());
                    var prog = obj.Program("Count");
                    uint small = (uint)host.RunXdp(prog, new byte[64]).ReturnValue;
                    uint large = (uint)host.RunXdp(prog, new byte[200]).ReturnValue;
                    ulong seen = obj.Map<CSharpBpf.Vm.Maps.ArrayMap>("Seen").GetUInt64(0);
                    Console.WriteLine($"raw: small={small} large={large} seen={seen}");
                }
                if (args.Length > 0 && args[0] == "--kernel")
                {
                    using var bpf = Counter.LoadKernel();
                    uint small = bpf.Programs.Count.TestRun(new byte[64]).ReturnValue;
                    uint large = bpf.Programs.Count.TestRun(new byte[200]).ReturnValue;
                    Console.WriteLine($"kernel: small={small} large={large} seen={bpf.Maps.Seen[0]}");
                }
                return 0;
            }
        }
        """;

    /// <summary>
    /// Dereferences a map lookup without a null check (BPF1002) on line <see cref="BadLine"/>, column 9;
    /// an unused local gives csc's CS0219 warning, which csc reports exactly once: the reference count.
    /// </summary>
    public const string BadSource = """
        using CSharpBpf;
        using CSharpBpf.Kernel;

        namespace PackagedBad;

        public static unsafe partial class Careless
        {
            [Map(MaxEntries = 1)] static ArrayMap<ulong> Seen;

            [Xdp]
            static XdpAction Count(xdp_md* ctx)
            {
                int unused = 1;
                ulong* n = Seen.Lookup(0);
                *n += 1;
                return XdpAction.Pass;
            }
        }
        """;

    public const int BadLine = 15;

    public static void WriteProject(string dir, string name, bool exe, string version, params (string File, string Text)[] sources)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                {(exe ? "<OutputType>Exe</OutputType>" : "")}
                <TargetFramework>net10.0</TargetFramework>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CSharpBpf" Version="{version}" />
                <PackageReference Include="CSharpBpf.Vm" Version="{version}" />
                <PackageReference Include="CSharpBpf.Linux" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        foreach (var (file, text) in sources) File.WriteAllText(Path.Combine(dir, file), text);
    }

    /// <summary>
    /// Package sources: the freshly packed folder, then the default feed (what a user has). The empty
    /// Directory.Build.* files stop MSBuild's upward search, so nothing above the temp folder leaks in.
    /// </summary>
    public static void WriteIsolation(string root, string feed)
    {
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="csharpbpf-packed" value="{SecurityElement.Escape(feed)}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        foreach (string f in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(root, f), "<Project />\n");
    }
}
