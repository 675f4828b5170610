using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport.RawBpf;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// Loads a program with its BTF and func_info (BTF_LOAD, then PROG_LOAD with prog_btf_fd and func_info), the way
/// libbpf passes them, so the kernel knows which subprograms are global. Every fd is closed before returning.
/// </summary>
internal static class BtfKernelLoader
{
    public static KernelLoader.LoadOutcome Load(IReadOnlyList<Instruction> program, uint programType, Btf btf, uint[] funcInfo,
        uint expectedAttachType = 0, uint attachBtfId = 0)
    {
        using var btfFd = BpfSyscall.BtfLoad(BtfWriter.Write(btf), KernelLog.Always);
        var request = new ProgLoadRequest(programType, InstructionCodec.Encode(program))
        {
            Btf = btfFd,
            FuncInfo = funcInfo,
            ExpectedAttachType = expectedAttachType,
            AttachBtfId = attachBtfId,
            Log = KernelLog.Always,
        };
        using var result = BpfSyscall.TryProgLoad(request);
        return new KernelLoader.LoadOutcome(result.Succeeded, result.Errno, result.Log);
    }

    /// <summary>
    /// A program <see cref="BpfVerifier.Link"/> produced, with its spec's BTF and func_info: its maps (plain
    /// array/hash kinds and global data) are created and their fds patched in, as <see cref="KernelLoader"/> does.
    /// </summary>
    public static KernelLoader.LoadOutcome LoadLinked(LinkedProgram linked)
    {
        var spec = linked.Spec;
        var maps = new Dictionary<int, RawBpfFd>();
        try
        {
            foreach (var kv in spec.Maps)
                maps[kv.Key] = BpfSyscall.MapCreate((uint)kv.Value.Type, kv.Value.KeySize, kv.Value.ValueSize, kv.Value.MaxEntries,
                    kv.Value.Flags | (kv.Value.IsReadOnly ? MapFlags.ReadOnlyProg : 0u));
            var patched = linked.Instructions.Select(insn =>
                insn.IsWideLoad && insn.Src is 1 or 2 && maps.TryGetValue(insn.Imm, out var fd) ? insn.WithImm(fd.Value) : insn).ToArray();
            var funcInfo = spec.FunctionInfo!.SelectMany(r => new[] { (uint)r.InstructionIndex, r.FuncTypeId }).ToArray();
            return Load(patched, (uint)spec.ProgramType, spec.Btf!, funcInfo);
        }
        finally
        {
            foreach (var fd in maps.Values) fd.Dispose();
        }
    }
}
