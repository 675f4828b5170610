using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Cli.Run;

/// <summary>
/// Runs instructions the way bpf_conformance expects: r1 points at a copy of the input memory,
/// r2 holds its length (both 0 without memory); returns r0.
/// </summary>
internal static class ProgramRunner
{
    public static ulong Run(IReadOnlyList<Instruction> program, byte[]? memory, ExecutionEngine engine)
    {
        using var machine = new BpfMachine(engine);
        var vm = machine.Load(program);
        ulong r1 = 0;
        if (memory is { Length: > 0 }) r1 = machine.Memory.Add("mem", RegionKind.Buffer, memory).Address;
        return machine.Run(vm, r1, (ulong)(memory?.Length ?? 0));
    }
}
