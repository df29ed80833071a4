#!/usr/bin/env bash
# Regenerates Sources/ScenarioFormat/Loading/DefaultScenario.swift from scenarios/chat-h100.json5,
# the built-in default scenario (a test checks that the two are equal).
set -euo pipefail
cd "$(dirname "$0")/.."
out=Sources/ScenarioFormat/Loading/DefaultScenario.swift
{
  echo 'import ServingModel'
  echo '/// The built-in default scenario: the text of scenarios/chat-h100.json5 (a test keeps them equal;'
  echo '/// `make default-scenario` regenerates this file from it).'
  echo 'public enum DefaultScenario {'
  echo '    public static let name = "scenarios/chat-h100.json5"'
  echo '    public static let text = #"""'
  cat scenarios/chat-h100.json5
  echo
  echo '"""#'
  echo '}'
} > "$out.tmp"
mv "$out.tmp" "$out"
