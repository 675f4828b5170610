using System;
using CSharpBpf.Vm;

namespace PacketFilter;

/// <summary>Runs the compiled object in the managed VM: no root, no kernel.</summary>
public static class VmRun
{
    /// <returns>True when every packet got its expected verdict on both engines.</returns>
    public static bool Run()
    {
        bool ok = true;
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            using var vm = UdpFilter.LoadVm(engine);
            Console.WriteLine($"  engine: {engine}");
            foreach (var packet in Packets.All)
            {
                var result = vm.Programs.Filter.Run(packet.Bytes);
                uint verdict = (uint)result.ReturnValue;
                bool match = verdict == packet.ExpectedVerdict;
                ok &= match;
                Console.WriteLine($"    {packet.Name,-36} -> {Packets.VerdictName(verdict),-5} ({result.InstructionsExecuted} insns executed){(match ? "" : "  UNEXPECTED")}");
            }
            var counters = vm.Maps.Verdicts;
            Console.WriteLine($"    counters: passed={counters[0]} dropped={counters[1]} unparsable={counters[2]}");
        }
        return ok;
    }
}
