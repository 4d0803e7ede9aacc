import RegenCore
