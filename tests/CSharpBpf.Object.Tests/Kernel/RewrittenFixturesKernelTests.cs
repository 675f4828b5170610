using System;
using System.IO;
using CSharpBpf.Object.Objects;
using CSharpBpf.Object.Tests.Fixtures;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Object.Tests.Kernel;

/// <summary>
/// Each clang fixture that loads here, read into our model and written back by our writer, loads
/// through bpftool (libbpf) just like the original: the writer's output is a real BPF object,
/// not only something our own reader accepts.
/// </summary>
public class RewrittenFixturesKernelTests
{
    [SkippableTheory]
    [InlineData("calls_globals.bpf")]
    [InlineData("core_reads.bpf")]
    [InlineData("maps_mix.bpf")]
    [InlineData("sockops_rtt.bpf")]
    [InlineData("externs_callbacks.bpf")]
    public void Rewritten_fixture_loads_through_bpftool(string fixture)
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.IfNot(ExternalTool.IsInstalled("bpftool"), "bpftool is not installed");
        // maps_mix pins recent_sources by name (LIBBPF_PIN_BY_NAME): remove it afterwards only if we created it.
        // The lock makes "we created it" true while other test processes load the same fixture.
        const string pinnedByName = "/sys/fs/bpf/recent_sources";
        using var pinLock = KernelLocks.Acquire("pin-recent_sources");
        bool preexisting = File.Exists(pinnedByName);
        try
        {
            using var load = BpftoolLoad.All(BpfObjectFile.Read(FixtureFiles.Bytes(fixture)).ToBytes(), "elf_rw");
            load.AssertSucceeded();
            var obj = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
            foreach (var p in obj.Programs)
                Assert.True(File.Exists(Path.Combine(load.Pin, p.Name)), $"program {p.Name} was not pinned");
        }
        finally
        {
            if (!preexisting && File.Exists(pinnedByName)) File.Delete(pinnedByName);
        }
    }

    [SkippableFact]
    public void Rewritten_struct_ops_fixture_registers_through_bpftool()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        Skip.IfNot(ExternalTool.IsInstalled("bpftool"), "bpftool is not installed");
        using var file = new TempObjectFile(BpfObjectFile.Read(FixtureFiles.Bytes("tcp_csreno.bpf")).ToBytes(), "rw");
        bool registered = false;
        try
        {
            var reg = ExternalTool.Run("bpftool", "struct_ops", "register", file.Path);
            registered = reg.ExitCode == 0;
            Assert.True(registered, $"bpftool struct_ops register failed:\n{reg.StdOut}\n{reg.StdErr}");
            Assert.Contains("Registered tcp_congestion_ops csreno", reg.StdOut + reg.StdErr);
            var show = ExternalTool.Run("bpftool", "struct_ops", "show", "name", "csreno");
            Assert.Contains("tcp_congestion_ops", show.StdOut);
        }
        finally
        {
            if (registered) ExternalTool.Run("bpftool", "struct_ops", "unregister", "name", "csreno");
        }
    }
}
