using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport.RawBpf;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// Loads what the managed verifier checked into the kernel, for differential tests: the spec's maps are
/// created, their fds patched into the program, and the kernel's verdict and verifier log come back.
/// Every fd is closed before returning. The bpf(2) calls are the shared raw helper (CSharpBpf.TestSupport),
/// so the verifier tests depend on nothing but the kernel.
/// </summary>
internal static class KernelLoader
{
    public sealed record LoadOutcome(bool Accepted, BpfErrno Errno, string Log);

    /// <summary>
    /// Creates the maps (key = the number the program's ld_imm64 carries), patches the real fds in, loads the
    /// program with a verifier log (tests read "processed N insns" of accepted programs too) and reports
    /// whether the kernel's verifier accepted it.
    /// </summary>
    public static LoadOutcome Load(IReadOnlyList<Instruction> program, VerifierProgramSpec spec)
    {
        var maps = new Dictionary<int, RawBpfFd>();
        try
        {
            foreach (var kv in spec.Maps)
                maps[kv.Key] = CreateMap(kv.Value);
            var patched = program.Select(insn =>
                insn.IsWideLoad && insn.Src is 1 or 2 && maps.TryGetValue(insn.Imm, out var fd) ? insn.WithImm(fd.Value) : insn).ToArray();
            var request = new ProgLoadRequest((uint)spec.ProgramType, InstructionCodec.Encode(patched))
            {
                ExpectedAttachType = ExpectedAttachType(spec),
                Log = KernelLog.Always,
            };
            using var result = BpfSyscall.TryProgLoad(request);
            return new LoadOutcome(result.Succeeded, result.Errno, result.Log);
        }
        finally
        {
            foreach (var fd in maps.Values) fd.Dispose();
        }
    }

    // Read-only global data is created BPF_F_RDONLY_PROG, as libbpf creates .rodata. The descriptor's name
    // (".rodata", long map names) is not always a valid kernel map name, so it only goes into the error.
    private static RawBpfFd CreateMap(MapDescriptor m)
    {
        try
        {
            return BpfSyscall.MapCreate((uint)m.Type, m.KeySize, m.ValueSize, m.MaxEntries,
                m.Flags | (m.IsReadOnly ? MapFlags.ReadOnlyProg : 0u));
        }
        catch (BpfSyscallException e)
        {
            throw new System.InvalidOperationException($"map '{m.Name}' of the spec: {e.Message}", e);
        }
    }

    /// <summary>The attach type the kernel wants at load time for the program types that check it.</summary>
    private static uint ExpectedAttachType(VerifierProgramSpec spec) => spec.AttachType switch
    {
        VerifierAttachType.CgroupInetIngress => AttachTypes.CgroupInetIngress,
        VerifierAttachType.CgroupInetEgress => AttachTypes.CgroupInetEgress,
        VerifierAttachType.CgroupGetsockopt => AttachTypes.CgroupGetsockopt,
        VerifierAttachType.CgroupSetsockopt => AttachTypes.CgroupSetsockopt,
        _ when spec.ProgramType == VerifierProgramType.CgroupSysctl => AttachTypes.CgroupSysctl,
        _ when spec.ProgramType == VerifierProgramType.SockOps => AttachTypes.CgroupSockOps,
        _ => 0,
    };
}
