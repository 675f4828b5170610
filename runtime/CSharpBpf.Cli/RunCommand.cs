using System;
using System.IO;
using CSharpBpf.Cli.Run;
using CSharpBpf.Object;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm;

namespace CSharpBpf.Cli;

/// <summary>
/// `csbpf run`: runs a program in the managed VM. With a file, runs a section of a BPF ELF object;
/// with --conformance-plugin, speaks the bpf_conformance plugin protocol: the program as one hex
/// line on stdin, the memory as one hex argument, r0 printed in hex, exit code 1 and a message on
/// stderr when the program fails.
/// </summary>
public sealed class RunCommand : ICliCommand
{
    private readonly TextReader? _input;

    public RunCommand() { }

    /// <summary>For tests: read the plugin's program line from <paramref name="input"/> instead of stdin.</summary>
    public RunCommand(TextReader input) => _input = input;

    public string Name => "run";

    public string Usage => "run FILE.o [--section S] [--mem HEX] [--jit] | run --conformance-plugin [--jit] [MEMHEX]   run a program in the managed VM";

    public int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? file = null, section = null, mem = null;
        bool jit = false, plugin = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--jit": jit = true; break;
                case "--conformance-plugin": plugin = true; break;
                case "--section" when i + 1 < args.Length: section = args[++i]; break;
                case "--mem" when i + 1 < args.Length: mem = args[++i]; break;
                case "--section" or "--mem":
                    error.WriteLine($"csbpf run: {args[i]} needs a value");
                    return 2;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        error.WriteLine($"csbpf run: unknown option '{args[i]}'; usage: csbpf {Usage}");
                        return 2;
                    }
                    // in plugin mode the positional argument is the memory; otherwise the file
                    if (plugin || file is not null) mem = args[i];
                    else file = args[i];
                    break;
            }
        }
        var engine = jit ? ExecutionEngine.Jit : ExecutionEngine.Interpreter;
        try
        {
            if (plugin) return Plugin(mem, engine, output, error);
            if (file is null)
            {
                error.WriteLine($"csbpf run: no object file given; usage: csbpf {Usage}");
                return 2;
            }
            var (name, program) = ElfProgramReader.Read(File.ReadAllBytes(file), section);
            byte[]? memory = mem is null ? null : HexCodec.Parse(mem, "--mem");
            ulong r0 = ProgramRunner.Run(program, memory, engine);
            output.WriteLine($"{name}: r0 = 0x{r0:x} ({(long)r0})");
            return 0;
        }
        catch (Exception e) when (e is BpfVmException or BpfFormatException or FormatException or ArgumentException or IOException)
        {
            error.WriteLine($"csbpf run: {e.Message}");
            return 1;
        }
    }

    private int Plugin(string? mem, ExecutionEngine engine, TextWriter output, TextWriter error)
    {
        string? line = (_input ?? Console.In).ReadLine();
        if (string.IsNullOrWhiteSpace(line))
        {
            error.WriteLine("csbpf run: expected the program as one hex line on stdin");
            return 1;
        }
        var program = InstructionCodec.Decode(HexCodec.Parse(line, "program"));
        byte[]? memory = string.IsNullOrEmpty(mem) ? null : HexCodec.Parse(mem, "memory");
        ulong r0 = ProgramRunner.Run(program, memory, engine);
        output.WriteLine(r0.ToString("x"));
        return 0;
    }
}
