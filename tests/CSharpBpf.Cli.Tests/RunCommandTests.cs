using System;
using System.IO;
using CSharpBpf.Cli;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using Xunit;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Cli.Tests;

/// <summary>`csbpf run`: ELF sections and the bpf_conformance plugin protocol, on both engines.</summary>
public sealed class RunCommandTests
{
    private static string Fixture => Path.Combine(RepoPaths.Root, "tests", "CSharpBpf.Cli.Tests", "RunFixtures", "run_sum.bpf.o");

    private static (int Code, string Out, string Err) Cli(string[] args, string? stdin = null)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var cmd = stdin is null ? new RunCommand() : new RunCommand(new StringReader(stdin));
        int code = cmd.Run(args, o, e);
        return (code, o.ToString().Trim(), e.ToString().Trim());
    }

    private static string Hex(params object[] items)
    {
        var list = new System.Collections.Generic.List<Instruction>();
        foreach (var i in items)
        {
            if (i is Instruction one) list.Add(one);
            else list.AddRange((Instruction[])i);
        }
        return Convert.ToHexString(InstructionCodec.Encode(list)).ToLowerInvariant();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Runs_the_first_program_section_of_an_object(bool jit)
    {
        var (code, output, err) = Cli(jit ? new[] { Fixture, "--jit" } : new[] { Fixture });
        Assert.True(code == 0, err);
        Assert.Equal("xdp: r0 = 0x9f2c (40748)", output); // (0 + … + 999) & 0xffff
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Runs_a_named_section_with_memory(bool jit)
    {
        var args = new System.Collections.Generic.List<string> { Fixture, "--section", "socket", "--mem", "01020304ff" };
        if (jit) args.Add("--jit");
        var (code, output, err) = Cli(args.ToArray());
        Assert.True(code == 0, err);
        Assert.Equal("socket: r0 = 0x109 (265)", output);
    }

    [Fact]
    public void Unknown_section_lists_the_program_sections()
    {
        var (code, _, err) = Cli(new[] { Fixture, "--section", "nope" });
        Assert.Equal(1, code);
        Assert.Contains("xdp, socket", err);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--jit")]
    public void Conformance_plugin_reads_program_from_stdin_and_memory_from_argv(string engine)
    {
        // r0 = *(u32 *)(r1 + 0) + r2 (the memory length)
        string program = Hex(Ldx(MemSize.W, R0, R1, 0), Alu64Reg(AluOp.Add, R0, R2), Exit());
        var args = engine == "" ? new[] { "--conformance-plugin", "0a000000ffff" } : new[] { "--conformance-plugin", engine, "0a000000ffff" };
        var (code, output, err) = Cli(args, program);
        Assert.True(code == 0, err);
        Assert.Equal("10", output); // 10 + 6 = 0x10
    }

    [Fact]
    public void Conformance_plugin_prints_r0_in_hex_without_memory()
    {
        var (code, output, _) = Cli(new[] { "--conformance-plugin" }, Hex(LoadImm64(R0, -1), Exit()));
        Assert.Equal(0, code);
        Assert.Equal("ffffffffffffffff", output);
    }

    [Fact]
    public void Conformance_plugin_fails_with_a_message_on_a_program_error()
    {
        var (code, _, err) = Cli(new[] { "--conformance-plugin", "00" }, Hex(Ldx(MemSize.DW, R0, R1, 0), Exit()));
        Assert.Equal(1, code);
        Assert.Contains("memory violation", err);
        Assert.Contains("'mem'", err);
        var (badHex, _, hexErr) = Cli(new[] { "--conformance-plugin" }, "95000000000000zz");
        Assert.Equal(1, badHex);
        Assert.Contains("not hex", hexErr);
    }

    [Fact]
    public void Run_verb_is_discovered_by_the_cli()
    {
        var o = new StringWriter();
        Assert.Equal(0, CliApp.Run(new[] { "help" }, o, new StringWriter()));
        Assert.Contains("run FILE.o", o.ToString());
    }
}
