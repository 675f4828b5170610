using System;
using System.Collections.Generic;
using System.IO;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using Xunit;

namespace CSharpBpf.Vm.Tests.Objects;

/// <summary>VmObject.ReplaceFunction (freplace in the VM) on the clang fixtures freplace_target / freplace_ext, on each engine.</summary>
public abstract class FunctionReplacementTests : IDisposable
{
    protected FunctionReplacementTests() => Host = new BpfTestHost(Engine);

    protected abstract ExecutionEngine Engine { get; }

    protected BpfTestHost Host { get; }

    private VmObject Load(string fixture) => Host.LoadObject(File.ReadAllBytes(RepoPaths.Fixture(fixture)));

    [Fact]
    public void Extension_replaces_the_global_function_and_changes_the_verdict()
    {
        var target = Load("linux/freplace_target.bpf.o");
        var ext = Load("linux/freplace_ext.bpf.o").Program("replacement");
        Assert.Equal(ProgramType.Extension, ext.Type);
        Assert.Contains("pick_action", target.GlobalFunctionsOf["target_xdp"].Keys);

        Assert.Equal(XdpContext.XdpPass, Host.RunXdp(target.Program("target_xdp"), new byte[64]).Verdict);
        var replaced = target.ReplaceFunction("target_xdp", "pick_action", ext);
        Assert.Same(replaced, target.Program("target_xdp"));
        Assert.Equal(XdpContext.XdpDrop, Host.RunXdp(replaced, new byte[64]).Verdict);
    }

    [Fact]
    public void Bad_replacements_are_refused_with_the_reason()
    {
        var target = Load("linux/freplace_target.bpf.o");
        var ext = Load("linux/freplace_ext.bpf.o").Program("replacement");
        Assert.Throws<KeyNotFoundException>(() => target.ReplaceFunction("target_xdp", "no_such_function", ext));
        var notExt = Assert.Throws<ArgumentException>(() => target.ReplaceFunction("target_xdp", "pick_action", target.Program("target_xdp")));
        Assert.Contains("Extension", notExt.Message);
        using var other = new BpfTestHost(Engine);
        var foreign = other.LoadObject(File.ReadAllBytes(RepoPaths.Fixture("linux/freplace_ext.bpf.o"))).Program("replacement");
        Assert.Throws<ArgumentException>(() => target.ReplaceFunction("target_xdp", "pick_action", foreign));
        Assert.Equal(XdpContext.XdpPass, Host.RunXdp(target.Program("target_xdp"), new byte[64]).Verdict);
    }

    public void Dispose() => Host.Dispose();
}

public sealed class InterpreterFunctionReplacementTests : FunctionReplacementTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Interpreter;
}

public sealed class JitFunctionReplacementTests : FunctionReplacementTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Jit;
}
