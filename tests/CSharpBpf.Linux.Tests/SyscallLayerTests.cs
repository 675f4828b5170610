using System;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.Programs;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

[Collection("kernel")]
public sealed class SyscallLayerTests
{
    [SkippableFact]
    public void Map_create_update_lookup_delete_and_iterate()
    {
        KernelSkip.UnlessBpfAllowed();
        using var map = BpfMap.Create(new BpfMapSpec { Name = "t_hash", Type = BpfMapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 16 });
        map.Update(7u, 70UL);
        map.Update(8u, 80UL);
        Assert.True(map.TryLookup(7u, out ulong v) && v == 70);
        Assert.Equal(2, map.Keys().Count);
        Assert.True(map.Delete(BitConverter.GetBytes(7u)));
        Assert.False(map.Delete(BitConverter.GetBytes(7u)));
        Assert.False(map.TryLookup(7u, out ulong _));
        var ex = Assert.Throws<BpfSyscallException>(() => map.Update(8u, 1UL, BpfUpdateFlags.NoExist));
        Assert.Equal(Errno.EEXIST, ex.Errno);
        Assert.Contains("BPF_MAP_UPDATE_ELEM failed with EEXIST (File exists)", ex.Message);
        Assert.Contains("t_hash", ex.Message);
    }

    [SkippableFact]
    public void Percpu_values_have_one_slot_per_possible_cpu()
    {
        KernelSkip.UnlessBpfAllowed();
        using var map = BpfMap.Create(new BpfMapSpec { Name = "t_pcpu", Type = BpfMapType.PercpuArray, KeySize = 4, ValueSize = 4, MaxEntries = 1 });
        Assert.Equal(8 * PossibleCpus.Count, map.UserValueSize);
        var values = map.LookupPerCpu<uint, uint>(0)!;
        Assert.Equal(PossibleCpus.Count, values.Length);
    }

    [SkippableFact]
    public void Bad_map_create_names_command_errno_and_map()
    {
        KernelSkip.UnlessBpfAllowed();
        var ex = Assert.Throws<BpfSyscallException>(() => BpfMap.Create(new BpfMapSpec { Name = "bad", Type = BpfMapType.Array, KeySize = 8, ValueSize = 4, MaxEntries = 1 }));
        Assert.Equal("BPF_MAP_CREATE", ex.Command);
        Assert.Equal(Errno.EINVAL, ex.Errno);
        Assert.Contains("map 'bad' (array", ex.Message);
    }

    [SkippableFact]
    public void Program_from_instructions_loads_and_test_runs()
    {
        KernelSkip.UnlessBpfAllowed();
        var insns = new[] { Insns.Mov64Imm(0, 1), Insns.Exit() }; // XDP_DROP
        using var prog = BpfProgram.Load(new ProgramLoadSpec { Name = "drop", Type = BpfProgramType.Xdp, Instructions = insns });
        var r = prog.TestRun(new byte[64], repeat: 10);
        Assert.Equal(1u, r.ReturnValue);
        Assert.True(prog.Id > 0);
    }

    [SkippableFact]
    public void Verifier_rejection_carries_the_log_annotated_with_source_lines()
    {
        KernelSkip.UnlessBpfAllowed();
        // r0 = *(u64 *)(r2 + 0) with r2 never written: the verifier says "R2 !read_ok".
        var insns = new[] { Insns.Mov64Imm(0, 0), Insns.Ldx(MemSize.DW, 0, 2, 0), Insns.Exit() };
        var lines = new[]
        {
            new SourceLine(0, "Program.cs", 10, 5, "ulong x = 0;"),
            new SourceLine(1, "Program.cs", 11, 9, "x = *p;"),
        };
        var ex = Assert.Throws<BpfProgramLoadException>(() => BpfProgram.Load(new ProgramLoadSpec { Name = "bad", Type = BpfProgramType.SocketFilter, Instructions = insns, SourceLines = lines }));
        Assert.Equal(Errno.EACCES, ex.Errno);
        Assert.Contains("R2 !read_ok", ex.VerifierLog);
        Assert.Contains("; Program.cs:11: x = *p;", ex.AnnotatedLog);
        Assert.Contains("BPF_PROG_LOAD failed with EACCES", ex.Message);
        Assert.Contains("R2 !read_ok", ex.Message);
    }
}
