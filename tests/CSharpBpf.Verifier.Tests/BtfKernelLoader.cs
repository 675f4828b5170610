using System.Collections.Generic;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport.RawBpf;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// Loads a program with its BTF and func_info (BTF_LOAD, then PROG_LOAD with prog_btf_fd and func_info), the way
/// libbpf passes them, so the kernel knows which subprograms are global. Programs here use no maps. Every fd is
/// closed before returning.
/// </summary>
internal static class BtfKernelLoader
{
    public static KernelLoader.LoadOutcome Load(IReadOnlyList<Instruction> program, uint programType, Btf btf, uint[] funcInfo,
        uint expectedAttachType = 0, uint attachBtfId = 0)
    {
        using var btfFd = BpfSyscall.BtfLoad(BtfWriter.Write(btf));
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
}
