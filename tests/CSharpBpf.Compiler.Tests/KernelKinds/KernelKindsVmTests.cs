using System.IO;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using Xunit;

namespace CSharpBpf.Compiler.Tests.KernelKinds;

/// <summary>The compiled C# twins of the socket/cgroup kinds run in the managed VM (interpreter and JIT).</summary>
public sealed class KernelKindsVmTests
{
    private static byte[] Object(string file, string cls) =>
        StructOpsCompileTests.Compile(File.ReadAllText(RepoPaths.Fixture(Path.Combine("kernelkinds", file))), cls);

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Sock_ops_replies_through_the_context_and_counts_callbacks(ExecutionEngine engine)
    {
        using var host = new BpfTestHost(engine);
        var vm = host.LoadObject(Object("SockOpsMark.cs", "KernelKinds.SockOpsMark"));
        var prog = vm.Program("set_mark");
        var sock = host.CreateSocket();
        var ctx = new SockOpsContext(sock, SockOpsContext.RwndInit);
        Assert.Equal(1UL, host.Run(prog, ctx).ReturnValue);
        Assert.Equal(40u, ctx.Reply);
        var timeout = new SockOpsContext(sock, SockOpsContext.TimeoutInit);
        host.Run(prog, timeout);
        Assert.Equal(50u, timeout.Reply);
        var count = vm.Maps["ops"].Lookup(System.BitConverter.GetBytes(SockOpsContext.RwndInit))!;
        Assert.Equal(1UL, System.BitConverter.ToUInt64(count, 0));
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Sysctl_guard_denies_one_read_and_rewrites_one_write(ExecutionEngine engine)
    {
        using var host = new BpfTestHost(engine);
        var vm = host.LoadObject(Object("SysctlSockopt.cs", "KernelKinds.SysctlSockopt"));
        var prog = vm.Program("sysctl_policy");
        Assert.Equal(0UL, host.Run(prog, new SysctlContext("net/ipv4/tcp_keepalive_intvl", "75")).ReturnValue);
        Assert.Equal(1UL, host.Run(prog, new SysctlContext("net/ipv4/tcp_keepalive_time", "7200")).ReturnValue);
        var write = new SysctlContext("net/ipv4/tcp_keepalive_time", "7200", "100");
        Assert.Equal(1UL, host.Run(prog, write).ReturnValue);
        Assert.Equal("777", write.NewValueText);
        var other = new SysctlContext("net/ipv4/tcp_fin_timeout", "60", "30");
        Assert.Equal(1UL, host.Run(prog, other).ReturnValue);
        Assert.False(other.NewValueUpdated);
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Getsockopt_hook_rewrites_the_value_within_optval_bounds(ExecutionEngine engine)
    {
        using var host = new BpfTestHost(engine);
        var vm = host.LoadObject(Object("SysctlSockopt.cs", "KernelKinds.SysctlSockopt"));
        var sock = host.CreateSocket();
        var ttl = new SockoptContext(sock, isSet: false, level: 0, optname: 2, optval: new byte[4], retval: -13);
        Assert.Equal(1UL, host.Run(vm.Program("getsockopt_ttl"), ttl).ReturnValue);
        Assert.Equal(99, System.BitConverter.ToInt32(ttl.Optval, 0));
        Assert.Equal(4, ttl.Optlen);
        Assert.Equal(0, ttl.Retval);
        var tooShort = new SockoptContext(sock, isSet: false, level: 0, optname: 2, optval: new byte[2]);
        Assert.Equal(1UL, host.Run(vm.Program("getsockopt_ttl"), tooShort).ReturnValue);
        Assert.Equal(new byte[2], tooShort.Optval); // v + 1 > optval_end: untouched
    }
}
