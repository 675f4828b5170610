using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm;
using Xunit;

namespace CSharpBpf.Vm.Tests;

/// <summary>
/// Base of every engine-parameterised test class: an abstract class per topic, one concrete
/// subclass per engine, so each test runs on the interpreter and on the JIT.
/// </summary>
public abstract class VmTestBase : IDisposable
{
    protected VmTestBase() => Machine = new BpfMachine(Engine);

    protected abstract ExecutionEngine Engine { get; }

    protected BpfMachine Machine { get; }

    /// <summary>Flattens Instruction and Instruction[] (LD_IMM64) items into one program.</summary>
    public static Instruction[] Prog(params object[] items)
    {
        var list = new List<Instruction>();
        foreach (var item in items)
        {
            if (item is Instruction i) list.Add(i);
            else if (item is Instruction[] many) list.AddRange(many);
            else throw new ArgumentException($"not an instruction: {item}");
        }
        return list.ToArray();
    }

    protected ulong Run(params object[] items) => Machine.Load(Prog(items)).Run();

    protected BpfVmException RunFails(params object[] items) => Assert.Throws<BpfVmException>(() => Machine.Load(Prog(items)).Run());

    public void Dispose()
    {
        Machine.Dispose();
        GC.SuppressFinalize(this);
    }
}
