using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Object;

namespace CSharpBpf.Cli;

/// <summary>Dispatches `csbpf VERB ARGS…` to the verb's <see cref="ICliCommand"/>.</summary>
public static class CliApp
{
    public static IReadOnlyList<ICliCommand> Commands { get; } = typeof(CliApp).Assembly.GetTypes()
        .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
        .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            output.WriteLine("csbpf: C# eBPF toolkit. Verbs:");
            foreach (var c in Commands) output.WriteLine($"  {c.Usage}");
            return args.Length == 0 ? 1 : 0;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            error.WriteLine($"csbpf: unknown verb '{args[0]}'; run 'csbpf help' for the list");
            return 2;
        }
        try
        {
            return command.Run(args.Skip(1).ToArray(), output, error);
        }
        catch (BpfFormatException e)
        {
            error.WriteLine($"csbpf {command.Name}: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            error.WriteLine($"csbpf {command.Name}: {e.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"csbpf {command.Name}: {e.Message}");
            return 1;
        }
    }
}
