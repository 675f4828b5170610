using System;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;

namespace PacketFilter;

/// <summary>Runs the compiled object in the managed VM: no root, no kernel.</summary>
public static class VmRun
{
    /// <returns>True when every packet got its expected verdict on both engines.</returns>
    public static bool Run(byte[] elf)
    {
        bool ok = true;
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            using var host = new BpfTestHost(engine);
            var obj = host.LoadObject(elf);
            var program = obj.Program("Filter");
            Console.WriteLine($"  engine: {engine}");
            foreach (var packet in Packets.All)
            {
                var result = host.RunXdp(program, packet.Bytes);
                uint verdict = (uint)result.ReturnValue;
                bool match = verdict == packet.ExpectedVerdict;
                ok &= match;
                Console.WriteLine($"    {packet.Name,-36} -> {Packets.VerdictName(verdict),-5} ({result.InstructionsExecuted} insns executed){(match ? "" : "  UNEXPECTED")}");
            }
            var counters = obj.Map<CSharpBpf.Vm.Maps.ArrayMap>("Verdicts");
            Console.WriteLine($"    counters: passed={counters.GetUInt64(0)} dropped={counters.GetUInt64(1)} unparsable={counters.GetUInt64(2)}");
        }
        return ok;
    }
}
